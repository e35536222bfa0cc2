/**
 * A reference table: ImageNet labels (as the classifier's top label names them) and the
 * category each belongs to. A literal in the job's code, so the driver and every
 * executor build the same table.
 */
export const LABEL_CATEGORIES: [string, string][] = [
  ['tabby, tabby cat', 'cat'],
  ['tiger cat', 'cat'],
  ['Persian cat', 'cat'],
  ['Siamese cat, Siamese', 'cat'],
  ['Egyptian cat', 'cat'],
  ['golden retriever', 'dog'],
  ['Labrador retriever', 'dog'],
  ['beagle', 'dog'],
  ['pug, pug-dog', 'dog'],
  ['German shepherd, German shepherd dog, German police dog, alsatian', 'dog'],
  ['goldfish, Carassius auratus', 'fish'],
  ['tench, Tinca tinca', 'fish'],
  ['sports car, sport car', 'vehicle'],
  ['mountain bike, all-terrain bike, off-roader', 'vehicle'],
  ['pizza, pizza pie', 'food'],
  ['banana', 'food'],
];
