import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@ipfin/http';

/** Where the page, script and stylesheet live (served from source, as every service runs). */
export const DASHBOARD_STATIC_DIR = path.join(__dirname, 'static');

/** The browser build of ECharts, streamed from node_modules (no copy in the repository). */
export const ECHARTS_PATH = require.resolve('echarts/dist/echarts.min.js');

/**
 * The page may load only its own files and call only its own origin (the metrics API behind the
 * same base URL). ECharts writes inline styles (tooltips), hence 'unsafe-inline' for styles only.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const stream = (file: string, type: string): StreamableFile => new StreamableFile(createReadStream(file), { type });

/** `GET /` and its assets, public (the token is pasted into the page, never sent for these). */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  @Get()
  @Header('Cache-Control', 'no-cache')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  page(): StreamableFile {
    return stream(path.join(DASHBOARD_STATIC_DIR, 'index.html'), 'text/html; charset=utf-8');
  }

  @Get('dashboard/app.js')
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): StreamableFile {
    return stream(path.join(DASHBOARD_STATIC_DIR, 'app.js'), 'text/javascript; charset=utf-8');
  }

  @Get('dashboard/app.css')
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  stylesheet(): StreamableFile {
    return stream(path.join(DASHBOARD_STATIC_DIR, 'app.css'), 'text/css; charset=utf-8');
  }

  @Get('dashboard/echarts.min.js')
  @Header('Cache-Control', 'public, max-age=86400')
  @Header('X-Content-Type-Options', 'nosniff')
  echarts(): StreamableFile {
    return stream(ECHARTS_PATH, 'text/javascript; charset=utf-8');
  }
}
