// The consoles' world picker: a GET form that reloads the page for another world (works without
// JavaScript). Extra fields (e.g. a date) ride along as their own controls.
import type { ReactNode } from 'react';
import { Button } from './button';

/** Props for {@link WorldPicker}. */
export interface WorldPickerProps {
  worlds: readonly { id: string; name: string }[];
  worldId: string;
  /** More controls inside the same form, before the button. */
  children?: ReactNode;
}

/** "World: [select] Show". */
export function WorldPicker({ worlds, worldId, children }: WorldPickerProps) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Choose a world">
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-muted-foreground">World</span>
        <select name="worldId" defaultValue={worldId} className="h-9 rounded-md border border-border-strong bg-card px-2">
          {worlds.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      {children}
      <Button type="submit">Show</Button>
    </form>
  );
}
