// The version of METHODOLOGY.md that the code computes: every release records it (a test holds the two together).
export const methodologyVersion = '2.2'
