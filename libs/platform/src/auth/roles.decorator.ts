import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-keys.service.js';

export const REQUIRED_ROLE = 'chancery:role';

/** The least role a route needs: admin ⊇ writer ⊇ reader. Routes without it need admin. */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
