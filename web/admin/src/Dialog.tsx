// A modal dialog that asks for a reason (and, for suspensions, a duration). The native <dialog> traps
// focus and closes on Escape; Enter in the reason field submits.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

export interface ReasonDialogProps {
  title: string;
  /** What the moderator is about to do, in a sentence. */
  lead?: ComponentChildren;
  label: string;
  presets: string[];
  confirm: string;
  danger?: boolean;
  durations?: Array<{ label: string; hours: number }>;
  checkbox?: { label: string; initial: boolean };
  onSubmit: (values: { reason: string; hours: number; checked: boolean }) => void;
  onClose: () => void;
}

export function ReasonDialog(p: ReasonDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState(p.durations?.[0]?.hours ?? 0);
  const [checked, setChecked] = useState(p.checkbox?.initial ?? false);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    input.current?.focus();
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    const why = reason.trim();
    if (!why) {
      setProblem('Give a reason: the author sees it.');
      input.current?.focus();
      return;
    }
    p.onSubmit({ reason: why, hours, checked });
  };

  return (
    <dialog
      ref={ref}
      class="reason-dialog"
      aria-labelledby="dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        p.onClose();
      }}
    >
      <form onSubmit={submit}>
        <h2 id="dialog-title">{p.title}</h2>
        {p.lead ? <p class="lead">{p.lead}</p> : null}
        <label class="field">
          <span>{p.label}</span>
          <input
            ref={input}
            type="text"
            name="reason"
            value={reason}
            maxLength={1000}
            autocomplete="off"
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'dialog-problem' : undefined}
            onInput={(e) => {
              setReason((e.currentTarget as HTMLInputElement).value);
              setProblem('');
            }}
          />
        </label>
        {problem ? (
          <p id="dialog-problem" class="problem" role="alert">
            {problem}
          </p>
        ) : null}
        {p.presets.length ? (
          <div class="presets" role="group" aria-label="Common reasons">
            {p.presets.map((text) => (
              <button
                key={text}
                type="button"
                class="chip"
                onClick={() => {
                  setReason(text);
                  setProblem('');
                  input.current?.focus();
                }}
              >
                {text}
              </button>
            ))}
          </div>
        ) : null}
        {p.durations ? (
          <label class="field">
            <span>For</span>
            <select value={String(hours)} onChange={(e) => setHours(Number((e.currentTarget as HTMLSelectElement).value))}>
              {p.durations.map((d) => (
                <option key={d.hours} value={String(d.hours)}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {p.checkbox ? (
          <label class="check">
            <input type="checkbox" checked={checked} onChange={(e) => setChecked((e.currentTarget as HTMLInputElement).checked)} />
            {p.checkbox.label}
          </label>
        ) : null}
        <div class="dialog-actions">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" class={p.danger ? 'danger' : 'primary'}>
            {p.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      class="help-dialog"
      aria-labelledby="help-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="help-title">Keyboard shortcuts</h2>
      <dl class="shortcuts">
        {SHORTCUTS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">Shortcuts are off while you type in a field.</p>
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

export const SHORTCUTS: Array<[string, string]> = [
  ['j', 'next comment'],
  ['k', 'previous comment'],
  ['a', 'approve'],
  ['r', 'reject (asks for a reason; Enter submits)'],
  ['f', 'feature (publishes a held comment first)'],
  ['b', 'ban the author (asks for a reason)'],
  ['s', 'suspend the author (asks for a reason and how long)'],
  ['x', 'select for a bulk action'],
  ['A', 'approve the selected comments'],
  ['R', 'reject the selected comments'],
  ['n', 'show new comments that arrived'],
  ['?', 'this help'],
];
