/** Maps over the inputs with at most `width` calls in flight: a browser opens six connections to a host, and the live stream holds one. */
export async function inTurn<Input, Output>(inputs: Input[], width: number, call: (input: Input) => Promise<Output>): Promise<Output[]> {
  const outputs: Output[] = new Array(inputs.length);
  let next = 0;
  async function worker() {
    while (next < inputs.length) {
      const index = next++;
      outputs[index] = await call(inputs[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, inputs.length) }, worker));
  return outputs;
}
