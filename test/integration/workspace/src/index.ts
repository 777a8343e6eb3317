export function greet(name: string): string {
  const greeting: string = `Hello, ${name}`;
  return greeting;
}
