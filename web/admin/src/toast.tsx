// Short notices after actions ("Rejected", "Could not approve: …"), read out by screen readers.
import { createContext } from 'preact';
import { useCallback, useContext, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

export interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
  undo?: (() => void) | undefined;
}

type Notify = (text: string, kind?: Toast['kind'], undo?: () => void) => void;
const ToastContext = createContext<Notify>(() => {});

export const useNotify = () => useContext(ToastContext);

export function ToastProvider({ children }: { children: ComponentChildren }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const notify = useCallback<Notify>((text, kind = 'ok', undo) => {
    const id = next.current++;
    setToasts((ts) => [...ts.slice(-3), { id, text, kind, undo }]);
    // An action that can be undone keeps its toast longer (the server allows 30 s).
    window.setTimeout(() => setToasts((ts) => ts.filter((t) => t.id !== id)), kind === 'error' ? 8000 : undo ? 15_000 : 4000);
  }, []);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div class="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} class={`toast toast-${t.kind}`}>
            <span>{t.text}</span>
            {t.undo ? (
              <button
                type="button"
                class="link"
                onClick={() => {
                  t.undo?.();
                  setToasts((ts) => ts.filter((x) => x.id !== t.id));
                }}
              >
                Undo
              </button>
            ) : null}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
