"use client";

import { useState } from "react";

import { Button } from "~/components/ui/button";

/**
 * Keyset paging: a stack of the page tokens that led here. Previous pops, Next pushes the
 * server's next token; nothing is counted or offset, so page 500 costs what page 1 does. The
 * stack starts over whenever `identity` (the filter and order it pages through) changes.
 */
export function useKeysetPages(identity: string) {
  const [state, setState] = useState<{ identity: string; tokens: (string | undefined)[] }>({ identity, tokens: [undefined] });
  const tokens = state.identity === identity ? state.tokens : [undefined];
  return {
    pageToken: tokens.at(-1),
    page: tokens.length,
    next: (token: string) => setState({ identity, tokens: [...tokens, token] }),
    previous: () => setState({ identity, tokens: tokens.slice(0, -1) }),
  };
}

export function KeysetPager({ page, nextPageToken, onNext, onPrevious, busy, label }: { page: number; nextPageToken: string | null | undefined; onNext: (token: string) => void; onPrevious: () => void; busy?: boolean; label: string }) {
  if (page === 1 && !nextPageToken) return null;
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between gap-3">
      <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
        ← Previous
      </Button>
      <span className="text-sm text-slate-500" aria-live="polite">
        Page {page}
      </span>
      <Button variant="secondary" disabled={!nextPageToken} busy={busy} onClick={() => nextPageToken && onNext(nextPageToken)}>
        Next →
      </Button>
    </nav>
  );
}
