import { Controller, Get, HttpCode, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly postgres: TypeOrmHealthIndicator,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up and serving HTTP; says nothing of its dependencies. */
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ operationId: 'getLiveness', summary: 'Whether the process serves HTTP' })
  @ApiOkResponse({ description: 'Serving.' })
  live() {
    return { status: 'ok' };
  }

  /** Postgres and every registered dependency (Kafka) answer; 503 with the failing ones otherwise. */
  @Get('ready')
  @ApiOperation({ operationId: 'getReadiness', summary: 'Whether Postgres and Kafka answer' })
  @ApiOkResponse({ description: 'Postgres and Kafka answer.' })
  @ApiServiceUnavailableResponse({ description: 'Postgres or Kafka does not answer; the body names which (the health-check format, not a problem).' })
  async ready(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.health.check([
        () => this.postgres.pingCheck('postgres').withTimeout(2_000),
        ...this.checks.map((dependency) => () =>
          this.indicators.check(dependency.name).attempt(({ signal }) => dependency.check(signal)).withTimeout(3_000)),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }
}
