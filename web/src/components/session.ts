import { useSyncExternalStore } from 'react';
import { currentSession, onSessionChange, type Session } from '../api/auth';

/** The signed-in person of this tab, or null; re-renders when they sign in or out. */
export function useSession(): Session | null {
  return useSyncExternalStore(onSessionChange, currentSession);
}
