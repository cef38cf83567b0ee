import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { testStores } from '../helpers/stores.js';
import { demoApp } from '../helpers/app.js';

/**
 * The map page in a real browser (Debian's chromium, driven by playwright-core): the page loads, vector
 * tiles arrive, a click shows the grid and who handles a problem there. Saves test/artefacts/map.png.
 * CI installs chromium; without it the test is skipped only outside CI.
 */
const CHROMIUM = process.env.WANMI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`CI must install chromium (${CHROMIUM}) for the map page test`);

t.test('the map page shows tiles and answers a click', { skip: hasChromium ? false : 'chromium is not installed' }, async (t) => {
  const [factory] = testStores();
  const { app, city, close } = await demoApp(await factory.make());
  t.teardown(close);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const grid = city.grids[Math.floor(city.grids.length / 2)];
  const ring = grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0][0];
  const [lon, lat] = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const tiles: string[] = [];
  const errors: string[] = [];
  page.on('response', (r) => { if (r.url().includes('.mvt') && r.status() === 200) tiles.push(r.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => { if (r.url().startsWith(`http://127.0.0.1:${port}`)) errors.push(`failed: ${r.url()}`); });

  await page.goto(`http://127.0.0.1:${port}/#16/${lat}/${lon}`);
  // Predicates run in the page, passed as source text (the test's TypeScript has no DOM types).
  await page.waitForFunction('window.wanmiMap !== undefined && window.wanmiMap.loaded() && window.wanmiMap.areTilesLoaded()',
    undefined, { timeout: 60_000 });
  t.ok(tiles.some((u) => u.includes('/tiles/grids/16/')), 'grid tiles arrived');
  t.ok(tiles.some((u) => u.includes('/tiles/admin/')), 'admin tiles arrived');
  t.ok(await page.locator('#layers input[data-source="grids"]').isChecked(), 'the layer switcher lists the grids');
  // Labels with no glyph server: MapLibre draws them with the browser's own fonts. A symbol is only
  // placed once its glyphs exist, so placed grid labels mean the text was drawn.
  await page.waitForFunction("window.wanmiMap.queryRenderedFeatures({ layers: ['grid-labels'] }).length > 0", undefined, { timeout: 30_000 });
  const labels = await page.evaluate("window.wanmiMap.queryRenderedFeatures({ layers: ['grid-labels', 'admin-labels'] }).map((f) => f.properties.code)");
  t.ok((labels as string[]).some((c) => /^330102\d{9}$/.test(c)), 'grid codes are drawn as labels');

  await page.mouse.click(500, 350);
  const popup = page.locator('.maplibregl-popup-content');
  await popup.waitFor({ timeout: 20_000 });
  await page.waitForFunction("document.querySelector('.maplibregl-popup-content ol') !== null", undefined, { timeout: 20_000 });
  const text = await popup.innerText();
  t.match(text, /单元网格 330102\d{9}/, 'the popup names the grid clicked');
  t.match(text, /处置单位/, 'and who handles a problem there');
  t.match(text, /浙江省杭州市上城区/, 'and the address there (reverse geocoding)');

  // The search box: completions while typing, Enter geocodes and puts a marker on the address.
  const address = city.addresses[Math.floor(city.addresses.length / 3)];
  await page.keyboard.press('Escape');
  await page.fill('#search', address.roadName);
  await page.waitForFunction("document.querySelectorAll('#suggestions li').length > 0", undefined, { timeout: 20_000 });
  t.match(await page.locator('#suggestions').innerText(), new RegExp(address.roadName), 'typing a road name lists it');
  await page.fill('#search', `${address.roadName}${address.houseNumber}`);
  await page.press('#search', 'Enter');
  await page.waitForFunction("document.querySelector('.maplibregl-marker') !== null", undefined, { timeout: 20_000 });
  t.match(await page.locator('#status').innerText(), new RegExp(`${address.roadName}${address.houseNumber}（门牌`), 'Enter finds the house number');
  t.same(errors, [], 'no page errors or failed requests');

  const artefacts = path.join(process.cwd(), 'test', 'artefacts');
  fs.mkdirSync(artefacts, { recursive: true });
  await page.screenshot({ path: path.join(artefacts, 'map.png') });
});
