// The CommandBus leg of a write: controllers and the import send ExecuteCommand, the handler runs it.
import { CommandHandler, type ICommandHandler, Command } from '@nestjs/cqrs';
import type { ChanceryCommand } from '#domain';
import { type BatchItem, type BatchOutcome, CommandExecutor, type CommandMeta, type CommandResponse } from './command-executor.js';

export class ExecuteCommand extends Command<CommandResponse> {
  constructor(readonly command: ChanceryCommand, readonly meta: CommandMeta) {
    super();
  }
}

@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand, CommandResponse> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ command, meta }: ExecuteCommand): Promise<CommandResponse> {
    return this.executor.execute(command, meta);
  }
}

/** A batch of commands decided in order and appended in one transaction (the bulk import). */
export class ExecuteCommands extends Command<BatchOutcome[]> {
  constructor(readonly items: BatchItem[]) {
    super();
  }
}

@CommandHandler(ExecuteCommands)
export class ExecuteCommandsHandler implements ICommandHandler<ExecuteCommands, BatchOutcome[]> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ items }: ExecuteCommands): Promise<BatchOutcome[]> {
    return this.executor.executeMany(items);
  }
}
