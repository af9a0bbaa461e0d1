// The queue's dialogs: reject (one or many, with the reason the author sees), ban, suspend, and the shortcuts.
import { ReasonDialog, HelpDialog } from '../Dialog.js';
import type { QueueItem } from '../types.js';
import type { QueueActions } from './actions.js';

const REJECT_PRESETS = ['Personal attack', 'Threatening language', 'Hate speech', 'Spam or advertising', 'Off topic', 'Obscene language'];
const BAN_PRESETS = ['Repeated abuse', 'Threats against others', 'Spam account', 'Hate speech'];
const DURATIONS = [
  { label: '1 day', hours: 24 },
  { label: '3 days', hours: 72 },
  { label: '1 week', hours: 168 },
  { label: '30 days', hours: 720 },
];

export type DialogState =
  | { kind: 'reject'; items: QueueItem[] }
  | { kind: 'ban'; item: QueueItem }
  | { kind: 'suspend'; item: QueueItem }
  | { kind: 'help' }
  | null;

export function QueueDialogs({
  dialog,
  closeDialog,
  reject,
  sanction,
}: {
  dialog: DialogState;
  closeDialog: () => void;
  reject: QueueActions['reject'];
  sanction: QueueActions['sanction'];
}) {
  return (
    <>
        {dialog?.kind === 'reject' ? (
          <ReasonDialog
            title={dialog.items.length === 1 ? 'Reject this comment' : `Reject ${dialog.items.length} comments`}
            lead={dialog.items.length === 1 ? <>The comment by {dialog.items[0]!.author.username} is hidden, and its author sees your reason.</> : 'Their authors see your reason.'}
            label="Reason (shown to the author)"
            presets={REJECT_PRESETS}
            confirm="Reject"
            danger
            onClose={closeDialog}
            onSubmit={({ reason }) => {
              const targets = dialog.items;
              closeDialog();
              void reject(targets, reason);
            }}
          />
        ) : dialog?.kind === 'ban' || dialog?.kind === 'suspend' ? (
          // Ban and suspend differ only in their words and in the suspension's length.
          <ReasonDialog
            title={`${dialog.kind === 'ban' ? 'Ban' : 'Suspend'} ${dialog.item.author.username}`}
            lead={
              dialog.kind === 'ban'
                ? 'They will not be able to post, edit or vote on any story until the ban is lifted.'
                : 'They cannot post until the suspension ends.'
            }
            label="Reason (shown to the user)"
            presets={BAN_PRESETS}
            confirm={dialog.kind === 'ban' ? 'Ban' : 'Suspend'}
            danger
            durations={dialog.kind === 'suspend' ? DURATIONS : undefined}
            checkbox={
              dialog.item.comment.status !== 'rejected'
                ? { label: 'Also reject this comment with the same reason', initial: dialog.kind === 'ban' && dialog.item.comment.status === 'pending' }
                : undefined
            }
            onClose={closeDialog}
            onSubmit={({ reason, hours, checked }) => {
              const { item, kind } = dialog;
              closeDialog();
              void sanction(item, kind, reason, kind === 'ban' ? 0 : hours, checked);
            }}
          />
        ) : dialog?.kind === 'help' ? (
          <HelpDialog onClose={closeDialog} />
        ) : null}
    </>
  );
}
