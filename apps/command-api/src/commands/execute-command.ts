// The CommandBus leg of a write: controllers and the import send ExecuteCommand, the handler runs it.
import { CommandHandler, type ICommandHandler, Command } from '@nestjs/cqrs';
import type { ChanceryCommand } from '#domain';
import { CommandExecutor, type CommandMeta, type CommandResponse } from './command-executor.js';

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
