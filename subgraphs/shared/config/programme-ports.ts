/**
 * Ports of the programme's own services (development defaults and the container ports). Brand subgraphs
 * take theirs from the partner registry, which must not reuse these.
 */
export const PROGRAMME_PORTS = { gateway: 4000, profile: 4201, benefits: 4202 } as const;

export type ProgrammeService = keyof typeof PROGRAMME_PORTS;
