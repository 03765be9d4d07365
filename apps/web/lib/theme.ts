// Theme: light or dark, stored in localStorage, otherwise following `prefers-color-scheme`.
// The same rules run twice: once as an inline script before first paint (no flash), and in the
// theme toggle after hydration.

/** The two themes; the attribute `data-theme` on <html> carries the active one. */
export type Theme = 'light' | 'dark';

/** localStorage key holding an explicit choice. No key means "follow the system". */
export const THEME_STORAGE_KEY = 'hydra-theme';

/** Narrow an unknown stored value to a theme, or `null` when it is not one. */
export function parseTheme(value: unknown): Theme | null {
  return value === 'light' || value === 'dark' ? value : null;
}

/**
 * Inline script for <head>: applies the stored or system theme before the browser paints.
 * Kept tiny and dependency-free; a storage failure (private mode, disabled storage) falls back to
 * the system preference.
 */
export const themeInitScript = `(function(){var d=document.documentElement,t=null;try{t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)})}catch(e){}if(t!=="light"&&t!=="dark"){t=window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}d.setAttribute("data-theme",t)})()`;
