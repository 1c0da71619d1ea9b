-- The rollup views run with the rights of the user who created them (the admin who migrates), not of the user
-- whose insert feeds them: ingest inserts events and so fills the rollups, but may not read them
-- (deploy/clickhouse/users.d/qyzmet.xml). A view created later must say SQL SECURITY DEFINER itself
-- (sql/src/migrate.test.ts checks every view).
ALTER TABLE rollup_daily_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
ALTER TABLE rollup_monthly_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
ALTER TABLE rollup_people_monthly_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
ALTER TABLE rollup_service_monthly_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
ALTER TABLE rollup_region_service_monthly_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
ALTER TABLE rollup_ingest_freshness_mv{{local}} {{on_cluster}} MODIFY SQL SECURITY DEFINER;
