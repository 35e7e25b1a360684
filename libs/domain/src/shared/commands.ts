/** A command is plain data, like an event: it can arrive over HTTP, from an import file or a test. */
export type Command<Type extends string, Data> = { type: Type; data: Data };
