import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'chancery:public';

/** Marks a controller or route that needs no API key (health only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
