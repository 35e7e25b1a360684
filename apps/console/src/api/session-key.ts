// The API key the user pasted, for this browser tab only: session storage ends with the tab.
const name = 'chancery.console.apiKey';

export const sessionKey = {
  get: (): string | null => sessionStorage.getItem(name),
  set: (key: string): void => sessionStorage.setItem(name, key),
  clear: (): void => sessionStorage.removeItem(name),
};
