/* Runs ClickHouse's local mode from chDB's library with the given arguments: with --http_port, --tcp_port and a
   query that starts the listeners and then sleeps, it is a ClickHouse server for the tests (clickhouse-server.ts).
   Usage: chdb-server /path/to/libchdb.so clickhouse-local arguments… */
#include <dlfcn.h>
#include <stdio.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

typedef void *(*query_cmdline_fn)(int, char **);
typedef const char *(*result_error_fn)(void *);

int main(int argc, char **argv) {
#ifdef __linux__
  /* A test runner that dies must not leave servers behind. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (argc < 3) {
    fprintf(stderr, "usage: %s libchdb.so arguments...\n", argv[0]);
    return 2;
  }
  void *library = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
  if (!library) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
    return 2;
  }
  query_cmdline_fn query_cmdline = (query_cmdline_fn)dlsym(library, "chdb_query_cmdline");
  result_error_fn result_error = (result_error_fn)dlsym(library, "chdb_result_error");
  if (!query_cmdline) {
    fprintf(stderr, "%s has no chdb_query_cmdline\n", argv[1]);
    return 2;
  }
  argv[1] = "clickhouse";
  void *result = query_cmdline(argc - 1, argv + 1);
  const char *error = result && result_error ? result_error(result) : NULL;
  if (error && *error) {
    fprintf(stderr, "%s\n", error);
    return 1;
  }
  return 0;
}
