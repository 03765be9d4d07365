'use client';
// Theme toggle: a toggle button (aria-pressed = dark theme on). The choice is remembered in
// localStorage; with no choice stored the theme follows the system preference, live.
import { useSyncExternalStore } from 'react';
import { parseTheme, THEME_STORAGE_KEY, type Theme } from '@/lib/theme';
import { MoonIcon, SunIcon } from './icons';

const darkQuery = '(prefers-color-scheme: dark)';

function readStored(): Theme | null {
  try {
    return parseTheme(window.localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return null; // storage disabled: follow the system
  }
}

function systemTheme(): Theme {
  return window.matchMedia(darkQuery).matches ? 'dark' : 'light';
}

function applyTheme(theme: Theme): void {
  document.documentElement.setAttribute('data-theme', theme);
}

/** Watches the attribute the inline script set, the system preference and other tabs. */
function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  const media = window.matchMedia(darkQuery);
  const onSystemChange = () => {
    if (readStored() === null) applyTheme(systemTheme());
  };
  media.addEventListener('change', onSystemChange);

  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) applyTheme(readStored() ?? systemTheme());
  };
  window.addEventListener('storage', onStorage);

  return () => {
    observer.disconnect();
    media.removeEventListener('change', onSystemChange);
    window.removeEventListener('storage', onStorage);
  };
}

function getSnapshot(): Theme | null {
  return parseTheme(document.documentElement.getAttribute('data-theme'));
}

function getServerSnapshot(): Theme | null {
  return null; // unknown on the server; the inline script has already painted the right theme
}

/** Header control switching between the light and dark themes. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);

  function toggle() {
    const next: Theme = (theme ?? getSnapshot() ?? systemTheme()) === 'dark' ? 'light' : 'dark';
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage disabled: the switch still applies to this page.
    }
    applyTheme(next);
  }

  return (
    <button
      type="button"
      onClick={toggle}
      aria-pressed={theme === null ? undefined : theme === 'dark'}
      title={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
      className="inline-flex size-9 items-center justify-center rounded-md border border-border bg-card text-muted-foreground shadow-sm transition-colors hover:bg-muted hover:text-foreground"
    >
      <span className="sr-only">Dark theme</span>
      {/* Icons swap by CSS from the attribute, so they are right before hydration too. */}
      <SunIcon width={18} height={18} className="dark:hidden" />
      <MoonIcon width={18} height={18} className="hidden dark:block" />
    </button>
  );
}
