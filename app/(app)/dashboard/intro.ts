/** Set when the first-visit explanation was dismissed (app/(app)/dashboard/actions.ts). */
export const INTRO_DISMISSED_COOKIE = 'tally_intro_dismissed';
