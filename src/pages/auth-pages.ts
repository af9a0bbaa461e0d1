import { html } from './html.js';
import { layout, type PageFrame } from './layout.js';

export interface AuthFormModel {
  /** Double-submit token for the anonymous form: the same value is in a cookie. */
  formToken: string;
  next: string;
  error?: string | undefined;
  username?: string | undefined;
  email?: string | undefined;
}

export function loginPage(frame: PageFrame, m: AuthFormModel): string {
  return layout(
    frame,
    html`<section class="auth"><h1>Log in</h1>
      ${m.error ? html`<p class="notice error" role="alert">${m.error}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="_form" value="${m.formToken}">
        <input type="hidden" name="next" value="${m.next}">
        <label>Username <input name="username" autocomplete="username" required value="${m.username ?? ''}"></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit">Log in</button>
      </form>
      <p>New here? <a href="/signup?next=${encodeURIComponent(m.next)}">Sign up</a></p></section>`,
  );
}

export function signupPage(frame: PageFrame, m: AuthFormModel): string {
  return layout(
    frame,
    html`<section class="auth"><h1>Sign up</h1>
      ${m.error ? html`<p class="notice error" role="alert">${m.error}</p>` : ''}
      <form method="post" action="/signup">
        <input type="hidden" name="_form" value="${m.formToken}">
        <input type="hidden" name="next" value="${m.next}">
        <label>Username <input name="username" autocomplete="username" required minlength="2" maxlength="30" value="${m.username ?? ''}"></label>
        <label>Email <input name="email" type="email" autocomplete="email" required value="${m.email ?? ''}"></label>
        <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>
        <button type="submit">Create account</button>
      </form>
      <p>Have an account? <a href="/login?next=${encodeURIComponent(m.next)}">Log in</a></p></section>`,
  );
}
