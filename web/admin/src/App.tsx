// The console's shell: who is signed in, the navigation with live queue counts, and the screens.
import { useEffect, useState } from 'preact/hooks';
import { lazy, Suspense } from 'preact/compat';
import { ApiError, api } from './api.js';
import { useLiveCounts } from './live.js';
import { href, onLinkClick, useRoute, type Screen } from './router.js';
import { ToastProvider } from './toast.js';
import { QueueScreen } from './queue/QueueScreen.js';
import { AuditScreen } from './AuditScreen.js';
import { PolicyScreen } from './PolicyScreen.js';
import { TransfersScreen } from './TransfersScreen.js';
import { WebhooksScreen } from './WebhooksScreen.js';
import { StoriesScreen } from './StoriesScreen.js';
import { PeopleScreen } from './PeopleScreen.js';
import type { Me } from './types.js';

const DashboardScreen = lazy(() => import('./DashboardScreen.js').then((m) => ({ default: m.DashboardScreen })));

type Session = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'forbidden'; me: Me } | { kind: 'ready'; me: Me };

export function App() {
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  useEffect(() => {
    api.me().then(
      (me) => setSession(me.user.role === 'commenter' ? { kind: 'forbidden', me } : { kind: 'ready', me }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
          return;
        }
        setSession({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
  }, []);

  if (session.kind === 'loading') return <p class="boot">Loading the moderator console…</p>;
  if (session.kind === 'error')
    return (
      <main class="standalone">
        <h1>The console could not start</h1>
        <p role="alert">{session.message}</p>
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>
      </main>
    );
  if (session.kind === 'forbidden')
    return (
      <main class="standalone">
        <h1>Moderators only</h1>
        <p>
          You are signed in as <strong>{session.me.user.username}</strong>, a reader. The moderation console is for the site's moderators and
          admins.
        </p>
        <p>
          <a href="/">Back to the stories</a>
        </p>
      </main>
    );
  return (
    <ToastProvider>
      <Console me={session.me} />
    </ToastProvider>
  );
}

const SCREENS: Array<{ screen: Screen; title: string; adminOnly?: boolean }> = [
  { screen: 'queue', title: 'Queues' },
  { screen: 'stories', title: 'Stories' },
  { screen: 'people', title: 'People' },
  { screen: 'dashboard', title: 'Dashboard' },
  { screen: 'audit', title: 'Audit log', adminOnly: true },
  { screen: 'policy', title: 'Policy' },
  { screen: 'transfers', title: 'Import and export', adminOnly: true },
  { screen: 'webhooks', title: 'Webhooks', adminOnly: true },
];

function Console({ me }: { me: Me }) {
  const route = useRoute();
  const live = useLiveCounts();
  const isAdmin = me.user.role === 'admin';
  const screens = SCREENS.filter((s) => !s.adminOnly || isAdmin);
  const screen = screens.some((s) => s.screen === route.screen) ? route.screen : 'queue';
  const current = screens.find((s) => s.screen === screen)!;

  useEffect(() => {
    const pending = live.counts?.pending;
    document.title = `${pending ? `(${pending}) ` : ''}${current.title} · Parley moderation`;
  }, [current.title, live.counts?.pending]);

  return (
    <div class="console">
      <header class="topbar">
        <a class="brand" href="/admin" onClick={onLinkClick}>
          Parley <span>moderation</span>
        </a>
        <nav aria-label="Console">
          <ul>
            {screens.map((s) => (
              <li key={s.screen}>
                <a href={href(s.screen)} onClick={onLinkClick} aria-current={s.screen === screen ? 'page' : undefined}>
                  {s.title}
                  {s.screen === 'queue' && live.counts ? (
                    <span class="badge" data-testid="nav-pending" aria-label={`${live.counts.pending} pending`}>
                      {live.counts.pending}
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class={`live live-${live.state}`} title={live.state === 'live' ? 'Counts update live' : live.state === 'polling' ? 'Counts refresh every few seconds' : 'Connecting…'}>
            {live.state === 'live' ? 'live' : live.state === 'polling' ? 'polling' : '…'}
          </span>
          <span>
            {me.user.username} <span class="role">{me.user.role}</span>
          </span>
          <a href="/">Site</a>
        </div>
      </header>
      <main class="screen" id="main">
        {screen === 'queue' ? (
          <QueueScreen params={route.params} counts={live.counts} refreshCounts={live.refresh} me={me} />
        ) : screen === 'dashboard' ? (
          <Suspense fallback={<p class="loading">Loading the dashboard…</p>}>
            <DashboardScreen />
          </Suspense>
        ) : screen === 'audit' ? (
          <AuditScreen />
        ) : screen === 'transfers' ? (
          <TransfersScreen params={route.params} />
        ) : screen === 'webhooks' ? (
          <WebhooksScreen params={route.params} />
        ) : screen === 'stories' ? (
          <StoriesScreen />
        ) : screen === 'people' ? (
          <PeopleScreen me={me} params={route.params} />
        ) : (
          <PolicyScreen isAdmin={isAdmin} params={route.params} />
        )}
      </main>
    </div>
  );
}
