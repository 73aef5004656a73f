import http from 'node:http';
import type { Socket } from 'node:net';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

interface ExpressPrototypes {
  request: object;
  response: object;
}

/**
 * Options for `http.createServer` under an Express 5 app: requests and responses are built with
 * the app's own prototypes (`app.request`, `app.response`) from the start.
 *
 * Express gives every request and response those prototypes with `Object.setPrototypeOf` when it
 * takes them (`app.handle`). In V8 that made each request's whole object graph — request,
 * response, router closures, everything the handlers allocated on them — outlive the young
 * generation: about 25 KB per request survived each scavenge and was promoted at the next, so
 * every scavenge copied 1–4 MB and paused the service 2–5 ms (bare Express 5, one route, at
 * ~1 700 requests/s: 3.4 MB surviving per scavenge, 3.5–4.5 ms; built like this: < 1 KB, 0.2 ms).
 * When the prototype is already the app's, Express's `setPrototypeOf` changes nothing.
 */
export function expressServerOptions(app: ExpressPrototypes): http.ServerOptions {
  function Request(this: http.IncomingMessage, socket: Socket): void {
    http.IncomingMessage.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: http.ServerResponse, req: http.IncomingMessage, options?: unknown): void {
    (http.ServerResponse as unknown as (this: http.ServerResponse, req: http.IncomingMessage, options?: unknown) => void).call(this, req, options);
  }
  Response.prototype = app.response;
  return {
    IncomingMessage: Request as unknown as typeof http.IncomingMessage,
    ServerResponse: Response as unknown as typeof http.ServerResponse,
  };
}

/** Nest's Express adapter with an HTTP server made by `expressServerOptions` (HTTPS and forced close as Nest does them). */
export class ServiceExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions !== undefined || options.forceCloseConnections === true) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<http.RequestListener & ExpressPrototypes>();
    this.setHttpServer(http.createServer(expressServerOptions(app), app));
  }
}
