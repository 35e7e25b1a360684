import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JournalModule } from '#journal';
import { CodedDevelopmentsHttpController } from './coded-developments/coded-developments.http.controller.js';
import { CommandExecutor } from './commands/command-executor.js';
import { CommandGateway } from './commands/command-gateway.js';
import { CommandMetricsInterceptor } from './commands/command-metrics.interceptor.js';
import { ExecuteCommandHandler, ExecuteCommandsHandler } from './commands/execute-command.js';
import { DemandsHttpController } from './demands/demands.http.controller.js';
import { ImportHttpController } from './import/import.http.controller.js';
import { IssuesHttpController } from './issues/issues.http.controller.js';
import { MeetingsHttpController } from './meetings/meetings.http.controller.js';
import { PartiesHttpController } from './parties/parties.http.controller.js';
import { ProposalsHttpController } from './proposals/proposals.http.controller.js';
import { RetractionsHttpController } from './retractions/retractions.http.controller.js';
import { StatementsHttpController } from './statements/statements.http.controller.js';
import { WarningsHttpController } from './warnings/warnings.http.controller.js';

/** The write side: every development endpoint and the import. The relay that publishes the journal is composed beside it. */
@Module({
  imports: [CqrsModule.forRoot(), JournalModule],
  controllers: [
    PartiesHttpController,
    IssuesHttpController,
    DemandsHttpController,
    MeetingsHttpController,
    WarningsHttpController,
    ProposalsHttpController,
    StatementsHttpController,
    CodedDevelopmentsHttpController,
    RetractionsHttpController,
    ImportHttpController,
  ],
  providers: [
    CommandExecutor,
    CommandGateway,
    ExecuteCommandHandler,
    ExecuteCommandsHandler,
    { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor },
  ],
})
export class CommandApiModule {}
