// The app without a token: what it is for, where to sign in (the token field in the header), and the public portal.
import { useSession } from '../session.tsx'

export function SignIn() {
  const { t, lang } = useSession()
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signInTitle')}</h1>
      <p>{t('signInText')}</p>
      <p>
        <a href={`/?lang=${lang}`}>{t('publicPortal')}</a>
      </p>
    </section>
  )
}
