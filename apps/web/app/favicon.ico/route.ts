// Browsers still ask for /favicon.ico on some navigations even with `app/icon.svg` linked; answer
// with the same mark (redirect, so there is one icon file) instead of a 404 in the console.
import { NextResponse } from 'next/server';

export function GET(request: Request) {
  return NextResponse.redirect(new URL('/icon.svg', request.url), 308);
}
