/** The requirement ids of spec/contract/channel.md, by meaning. */
export const CHN = {
  delivery: 'CHN-001',
  atMostOnce: 'CHN-002',
  nothingBefore: 'CHN-003',
  publisherOrder: 'CHN-004',
  selection: 'CHN-005',
  lag: 'CHN-006',
  subscriptionClose: 'CHN-007',
  ephemeral: 'CHN-008',
  invalidKey: 'CHN-009',
  value: 'CHN-010',
  envelope: 'CHN-011',
  isolation: 'CHN-012',
  closed: 'CHN-013',
  connectionLoss: 'CHN-014',
} as const;
