import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../domain/errors.ts';
import { pageAssets, PAGE_ASSET_NAMES, type PageAssetName } from './assets.ts';

/**
 * The admin page's own routes: the HTML at `/` and its files under `/assets/`. They are public
 * (the sign-in screen must load before anyone has signed in) and hold only the page's code: every
 * piece of data comes from the guarded /api routes. test/http-route-guard.test.ts lists these two
 * routes by name as the only public ones besides /healthz and /api/login.
 */
export function pageRouter(): Router {
  const router = Router();
  const send = async (req: Request, res: Response, name: PageAssetName) => {
    const file = (await pageAssets()).get(name)!;
    res.setHeader('Content-Type', file.contentType);
    // Always revalidate (cheap: ETag → 304), so a new version is picked up at once after an upgrade.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', file.etag);
    if (req.headers['if-none-match'] === file.etag) {
      res.status(304).end();
      return;
    }
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  router.get('/', (req, res) => send(req, res, 'index.html'));
  router.get('/assets/:name', (req, res) => {
    const name = req.params.name as PageAssetName;
    if (!PAGE_ASSET_NAMES.includes(name) || name === 'index.html') throw new NotFoundError(`no such page file: ${name.slice(0, 100)}`);
    return send(req, res, name);
  });
  return router;
}
