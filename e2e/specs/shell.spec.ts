// The app shell: the dashboard renders, navigation works from the keyboard, only existing pages
// are linked, unknown paths get the not-found page, and the theme toggle switches and persists.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

test.describe('dashboard', () => {
  test('renders the product heading, navigation and architecture diagram', async ({ page }) => {
    await page.goto('/');

    await expect(page).toHaveTitle('Hydra Meter Lab');
    await expect(page.getByRole('heading', { level: 1, name: 'Hydra Meter Lab' })).toBeVisible();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Hydra Meter Lab' })).toBeVisible();

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

    const diagram = page.getByRole('img', { name: /Hydra architecture/ });
    await expect(diagram).toBeVisible();
    await expect(diagram).toContainText('DCC relay');

    const cast = page.getByRole('table', { name: /The parties/ });
    await expect(cast.getByRole('rowheader')).toHaveCount(6);
    await expect(cast.getByRole('row', { name: /DCC/ })).toContainText('Metadata only');
  });

  test('links only to pages that exist', async ({ page }) => {
    await page.goto('/');
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      const response = await page.request.get(href);
      expect(response.status(), `navigation link ${href}`).toBe(200);
    }
  });
});

test.describe('keyboard', () => {
  test('the skip link is the first stop and moves focus to the main content', async ({ page }) => {
    await page.goto('/');

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    // Visually hidden until focused; focused, it is a real on-screen button-sized link.
    const box = await skip.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(60);

    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    await expect(page).toHaveURL(/#main$/);
  });

  test('the navigation is reachable with Tab and shows a focus ring', async ({ page }) => {
    await page.goto('/');
    const dashboard = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' });

    let reached = false;
    for (let presses = 0; presses < 8 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await dashboard.evaluate((element) => element === document.activeElement);
    }
    expect(reached, 'Dashboard link reached within 8 Tab presses').toBe(true);
    const outline = await dashboard.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).toBe('solid');
  });
});

test.describe('not found', () => {
  // The browser reports the 404 document itself as a failed resource load.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('an unknown path shows the not-found page with a way back', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();

    await page.getByRole('link', { name: 'Back to the dashboard' }).click();
    await expect(page).toHaveURL('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Hydra Meter Lab' })).toBeVisible();
  });
});

test.describe('theme', () => {
  const html = (page: Page) => page.locator('html');
  const background = (page: Page) =>
    page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  test.describe('with a light system preference', () => {
    test.use({ colorScheme: 'light' });

    test('the toggle switches data-theme and the choice persists across reloads', async ({ page }) => {
      await page.goto('/');
      const toggle = page.getByRole('button', { name: 'Dark theme' });

      await expect(html(page)).toHaveAttribute('data-theme', 'light');
      await expect(toggle).toHaveAttribute('aria-pressed', 'false');
      const lightBackground = await background(page);

      await toggle.click();
      await expect(html(page)).toHaveAttribute('data-theme', 'dark');
      await expect(toggle).toHaveAttribute('aria-pressed', 'true');
      expect(await background(page)).not.toBe(lightBackground);
      expect(await page.evaluate(() => localStorage.getItem('hydra-theme'))).toBe('dark');

      await page.reload();
      await expect(html(page)).toHaveAttribute('data-theme', 'dark');
      await expect(toggle).toHaveAttribute('aria-pressed', 'true');

      // Keyboard: Space on the focused toggle switches back, and that persists too.
      await toggle.focus();
      await page.keyboard.press('Space');
      await expect(html(page)).toHaveAttribute('data-theme', 'light');
      await page.reload();
      await expect(html(page)).toHaveAttribute('data-theme', 'light');
      expect(await background(page)).toBe(lightBackground);
    });
  });

  test.describe('with a dark system preference', () => {
    test.use({ colorScheme: 'dark' });

    test('starts dark when no choice is stored', async ({ page }) => {
      await page.goto('/');
      await expect(html(page)).toHaveAttribute('data-theme', 'dark');
      await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
    });
  });
});
