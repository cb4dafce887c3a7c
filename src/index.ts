export * from './domain';
export * from './matching';
export * from './data-store';
export * from './domain-object-type';
export * from './recommender';
export * from './integration';
