// A guest's comment: ask the server for a challenge, find the proof of work (a number whose SHA-256 with the
// challenge starts with `difficulty` zero bits, about a second for a browser), then post the comment with it.
import { api } from './api.js';

function zeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

async function solve(challenge: string, difficulty: number): Promise<string> {
  const encoder = new TextEncoder();
  const BATCH = 512;
  for (let start = 0; ; start += BATCH) {
    const digests = await Promise.all(
      Array.from({ length: BATCH }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${start + i}`))),
    );
    const found = digests.findIndex((d) => zeroBits(new Uint8Array(d)) >= difficulty);
    if (found >= 0) return String(start + found);
  }
}

/** Posts the guest form's comment; answers the comment's status, or throws with a message for the reader. */
export async function postAsGuest(form: HTMLFormElement, storyId: string, say: (text: string) => void): Promise<string> {
  const fields = new FormData(form);
  const text = (name: string) => String(fields.get(name) ?? '').trim();
  say('Checking that you are not a bot…');
  const challengeAnswer = await api(`/api/stories/${storyId}/guest-challenge`);
  const issued = (await challengeAnswer.json()) as { challenge?: string; difficulty?: number; error?: { message: string } };
  if (!issued.challenge) throw new Error(issued.error?.message ?? 'Guests cannot comment here.');
  const solution = await solve(issued.challenge, issued.difficulty ?? 0);
  const res = await api(`/api/stories/${storyId}/guest-comments`, {
    json: {
      name: text('name'),
      email: text('email') || null,
      body: text('body'),
      website: text('website'),
      challenge: issued.challenge,
      solution,
    },
  });
  const answer = (await res.json()) as { status?: string; error?: { message: string } };
  if (!answer.status) throw new Error(answer.error?.message ?? 'The comment could not be posted.');
  return answer.status;
}
