/** How the person collecting a device or a card is related to the pupil. */
export const relations = ['mother', 'father', 'guardian', 'pupil', 'other'] as const;
export type Relation = (typeof relations)[number];
