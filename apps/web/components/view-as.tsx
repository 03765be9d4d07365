// "View as": which party's credential the dashboard uses to render a console. Works without
// JavaScript (a form posting to a server action). The server, not this control, decides what a
// party may see: viewed as the wrong party, a console shows the API's refusal.
import { setViewAs } from '@/app/_actions/view-as';
import { Button } from '@/components/button';
import type { Principal } from '@/lib/server/auth';

const LABELS: Record<Principal, string> = { dcc: 'DCC (relay)', supplier: 'Energy supplier', dno: 'DNO', telecare: 'Telecare provider' };

/** Props for {@link ViewAs}. */
export interface ViewAsProps {
  current: Principal;
  /** The page to refresh after switching. */
  path: string;
}

/** The switcher form. */
export function ViewAs({ current, path }: ViewAsProps) {
  return (
    <form action={setViewAs} className="flex items-center gap-2 text-sm">
      <input type="hidden" name="path" value={path} />
      <label htmlFor="view-as" className="text-muted-foreground">
        View as
      </label>
      <select id="view-as" name="party" defaultValue={current} className="h-9 rounded-md border border-border-strong bg-card px-2 text-foreground">
        {(Object.keys(LABELS) as Principal[]).map((party) => (
          <option key={party} value={party}>
            {LABELS[party]}
          </option>
        ))}
      </select>
      <Button type="submit" size="md">
        Switch
      </Button>
    </form>
  );
}

/** How a console names the party it is viewed as. */
export function viewAsLabel(party: Principal): string {
  return LABELS[party];
}
