/**
 * Monitoring messages (MISSION item 1): a note to the monitoring number after every `every` messages
 * of a batch have been sent, so its owner sees the campaign go out on a real phone.
 */
export function monitoringText(batchName: string, sent: number): string {
  return `Monitor "${batchName}": ${sent} messages sent`;
}

/** How many monitoring messages a batch of `messages` sends. */
export function monitoringCount(messages: number, every: number): number {
  return every > 0 ? Math.floor(messages / every) : 0;
}

/** The 1-based positions, among the batch's messages, after which a monitoring message goes. */
export function monitoringPositions(before: number, inChunk: number, every: number): number[] {
  const positions: number[] = [];
  if (every <= 0) return positions;
  for (let k = Math.ceil((before + 1) / every) * every; k <= before + inChunk; k += every) positions.push(k);
  return positions;
}
