import type { FieldSpec } from '../headers.ts';

/**
 * Columns that hold a pupil's or child's whole name, first and last in one cell, as many lists
 * keep them ("Vārds, uzvārds"; Russian lists usually "ФИО", surname first). They are read only
 * when the sheet has no column of its own for the first or the last name (headers.ts), and split as
 * wholeNames.ts says. Not in the templates, which keep the two names apart.
 */
export const wholeNameFields: FieldSpec[] = [
  {
    key: 'wholeName',
    required: false,
    wholeName: 'firstLast',
    names: [
      'Vārds, uzvārds', 'Имя, фамилия', 'Full name', 'Vārds un uzvārds', 'Skolēna vārds, uzvārds', 'Skolēna vārds un uzvārds', 'Izglītojamā vārds, uzvārds', 'Bērna vārds, uzvārds',
      'Bērna vārds un uzvārds', 'Имя и фамилия', 'Имя и фамилия ученика', 'Имя и фамилия ребёнка', 'Name and surname', 'Name, surname', 'First and last name', "Pupil's full name", "Child's full name",
    ],
  },
  {
    key: 'wholeNameSurnameFirst',
    required: false,
    wholeName: 'lastFirst',
    names: [
      'Uzvārds, vārds', 'Фамилия, имя', 'Surname, name', 'Uzvārds un vārds', 'Skolēna uzvārds, vārds', 'Izglītojamā uzvārds, vārds', 'Bērna uzvārds, vārds', 'Фамилия и имя',
      'ФИО', 'Ф.И.О.', 'Фамилия, имя, отчество', 'ФИО ученика', 'ФИО ребёнка', 'Фамилия и имя ученика', 'Last name, first name', 'Surname and name', 'Surname, first name',
    ],
  },
];
