// What the tests' and the benchmark's workshops write: ideas as people write
// them in a workshop on the isolation of older people, and its themes.

export const IDEAS = [
  'Un café des aidants le samedi matin',
  'Des visites de convivialité à domicile, avec des bénévoles formés',
  'Un minibus pour aller au marché',
  'Un annuaire des activités du quartier',
  'Appeler chaque semaine les personnes seules',
  'Des bancs le long de l’avenue pour se reposer',
  'Un atelier numérique à la médiathèque',
  'Repas partagés entre voisins une fois par mois',
  'Un jardin partagé au pied des immeubles',
  'Accompagner aux rendez-vous médicaux',
];

export const THEMES = ['Rendre visite', 'Se déplacer', 'Se retrouver', 'S’informer', 'Le numérique', 'Manger ensemble',
  'Le quartier', 'La santé', 'Les aidants', 'Le logement', 'La culture', 'Le sport'];

// The index-th note's text: unique, of varied length.
export const ideaText = (index) => (index < IDEAS.length ? IDEAS[index] : `${IDEAS[index % IDEAS.length]} (${Math.floor(index / IDEAS.length) + 1})`);
