import { html, type Html } from './html.js';
import { layout, type PageFrame } from './layout.js';

export interface AuthFormModel {
  /** Double-submit token for the anonymous form: the same value is in a cookie. */
  formToken: string;
  next: string;
  error?: string | undefined;
  username?: string | undefined;
  email?: string | undefined;
  /** OpenID Connect providers the site offers: "Sign in with …" links. */
  providers?: Array<{ name: string; siteId: string }>;
  /** The log-in form links to the page that mails a reset link (only when this server sends mail). */
  passwordReset?: boolean;
}

interface AuthForm {
  title: string;
  action: '/login' | '/signup';
  fields: Html;
  submit: string;
  /** The way to the other form, for readers who came to the wrong one. */
  other: { question: string; action: string; path: string };
}

function authPage(frame: PageFrame, m: AuthFormModel, form: AuthForm): string {
  return layout(
    frame,
    html`<section class="auth"><h1>${form.title}</h1>
      ${m.error ? html`<p class="notice error" role="alert">${m.error}</p>` : ''}
      <form method="post" action="${form.action}">
        <input type="hidden" name="_form" value="${m.formToken}">
        <input type="hidden" name="next" value="${m.next}">
        ${form.fields}
        <button type="submit">${form.submit}</button>
      </form>
      ${(m.providers ?? []).map(
        (p) => html`<p><a class="button" href="/auth/oidc/${p.name}/start?siteId=${p.siteId}&amp;next=${encodeURIComponent(m.next)}">Sign in with ${p.name}</a></p>`,
      )}
      <p>${form.other.question} <a href="${form.other.path}?next=${encodeURIComponent(m.next)}">${form.other.action}</a></p></section>`,
  );
}

export function loginPage(frame: PageFrame, m: AuthFormModel): string {
  return authPage(frame, m, {
    title: 'Log in',
    action: '/login',
    fields: html`<label>Username <input name="username" autocomplete="username" required value="${m.username ?? ''}"></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        ${m.passwordReset ? html`<p><a href="/forgot-password">Forgot your password?</a></p>` : ''}`,
    submit: 'Log in',
    other: { question: 'New here?', action: 'Sign up', path: '/signup' },
  });
}

export function signupPage(frame: PageFrame, m: AuthFormModel): string {
  return authPage(frame, m, {
    title: 'Sign up',
    action: '/signup',
    fields: html`<label>Username <input name="username" autocomplete="username" required minlength="2" maxlength="30" value="${m.username ?? ''}"></label>
        <label>Email <input name="email" type="email" autocomplete="email" required value="${m.email ?? ''}"></label>
        <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="10"></label>`,
    submit: 'Create account',
    other: { question: 'Have an account?', action: 'Log in', path: '/login' },
  });
}
