export * from './domain';
export * from './matching';
export * from './data-store';
export * from './domain-object-type';
export * from './recommender';
export * from './integration';
export * from './segment-definition';
export * from './segment-query';
