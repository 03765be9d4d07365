// Meter-host Web Worker entry. Kept thin: SES and its module parser load first, lockdown hardens
// this worker's realm, and only then is the meter code loaded (DESIGN.md: lockdown lives in the
// meter core's worker, never in the page).
import 'ses';
import { ModuleSource } from '@endo/module-source';

lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });

void import('./meter-host').then((host) => host.start(ModuleSource));
