/** The baseline of the cold-init bench: a handler that imports nothing. */
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 204 });
