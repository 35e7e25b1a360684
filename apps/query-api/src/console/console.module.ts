// The operator's console at /console: the static pages `npm run build` puts in dist/console. They
// hold no data, so they are served without an API key (the middleware runs before the key guard);
// every call they make to the API carries the key the user pasted.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { ServerResponse } from 'node:http';

/** The project's root: the nearest folder above this file with a package.json (the same from the sources and from dist/). */
function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

export const consoleAssets = join(projectRoot(), 'dist', 'console');

/**
 * The pages load only their own scripts and styles and talk only to this origin. Vite names the
 * assets by their content hash, so they never change under a name; the page itself is revalidated.
 */
function consoleHeaders(response: ServerResponse, path: string): void {
  response.setHeader('Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', path.includes(`${join('console', 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: consoleAssets,
      serveRoot: '/console',
      // Only the page itself: an unknown path under /console is a 404, not the page again.
      renderPath: '/',
      serveStaticOptions: { setHeaders: consoleHeaders, index: 'index.html' },
    }),
  ],
})
export class ConsoleModule implements OnModuleInit {
  onModuleInit(): void {
    if (!existsSync(join(consoleAssets, 'index.html'))) {
      new Logger('Console').warn(`the console is not built (${consoleAssets}): \`npm run build\` builds it`);
    }
  }
}
