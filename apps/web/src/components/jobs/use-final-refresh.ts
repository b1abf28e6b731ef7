"use client";

import { useEffect, useRef } from "react";

/**
 * Calls `refresh` once when `live` turns false: polling stops with the job, and its last poll may
 * predate the job's final writes (the last epoch, the last trial).
 */
export function useFinalRefresh(live: boolean, refresh: () => unknown) {
  const wasLive = useRef(live);
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  useEffect(() => {
    if (wasLive.current && !live) void latest.current();
    wasLive.current = live;
  }, [live]);
}
