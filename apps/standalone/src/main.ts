import 'reflect-metadata';
import { serveHttp } from '#platform';
import { standaloneModule } from './standalone.module.js';

await serveHttp('chancery', standaloneModule);
