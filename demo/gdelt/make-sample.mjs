// Writes events.sample.export.CSV: 300 made-up events in the GDELT 2.0 events export layout (61
// tab-separated columns, no header, as the GDELT 2.0 Event Database codebook lays them out), for
// tests of `chancery import gdelt`. Seeded, so the file is the same each run. Run: node make-sample.mjs
import { writeFileSync } from 'node:fs';

let seed = 20180601;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];

// [code, name, country code, known group, type 1]
const actors = [
  ['USA', 'UNITED STATES', 'USA', '', ''], ['RUS', 'RUSSIA', 'RUS', '', ''], ['CHN', 'CHINA', 'CHN', '', ''],
  ['UKR', 'UKRAINE', 'UKR', '', ''], ['USAGOV', 'UNITED STATES', 'USA', '', 'GOV'], ['RUSGOV', 'RUSSIA', 'RUS', '', 'GOV'],
  ['RUSMIL', 'RUSSIA', 'RUS', '', 'MIL'], ['UKRMIL', 'UKRAINE', 'UKR', '', 'MIL'], ['PRKGOV', 'NORTH KOREA', 'PRK', '', 'GOV'],
  ['KORGOV', 'SOUTH KOREA', 'KOR', '', 'GOV'], ['IGOEUREEC', 'EUROPEAN UNION', '', 'EEC', 'IGO'], ['IGOUNO', 'UNITED NATIONS', '', 'UNO', 'IGO'],
  ['FRA', 'FRANCE', 'FRA', '', ''], ['DEU', 'GERMANY', 'DEU', '', ''], ['IRNGOV', 'IRAN', 'IRN', '', 'GOV'],
];
// [code, root, quad class, Goldstein], as the codebook scores them
const codes = [
  ['010', '01', 1, 0], ['036', '03', 1, 4], ['040', '04', 1, 1], ['042', '04', 1, 1.9], ['046', '04', 1, 7], ['051', '05', 1, 3.4],
  ['061', '06', 2, 6.4], ['071', '07', 2, 7.4], ['100', '10', 3, -5], ['112', '11', 3, -2], ['120', '12', 3, -4], ['130', '13', 3, -4.4],
  ['138', '13', 3, -7], ['141', '14', 3, -6.5], ['163', '16', 4, -8], ['173', '17', 4, -5], ['190', '19', 4, -10], ['193', '19', 4, -10],
];
const places = [['Moscow, Moskva, Russia', 'RS', 55.7522, 37.6156], ['Kiev, Kyyiv, Misto, Ukraine', 'UP', 50.4333, 30.5167],
  ['Washington, District of Columbia, United States', 'US', 38.8951, -77.0364], ['Seoul, Soul-t\'ukpyolsi, South Korea', 'KS', 37.5664, 126.9997]];

const actorFields = ([code, name, country, group, type]) => [code, name, country, group, '', '', '', type, '', ''];
const rows = [];
for (let index = 0; index < 300; index++) {
  const day = 1 + Math.floor(random() * 30);
  const date = `201806${String(day).padStart(2, '0')}`;
  const actor1 = pick(actors);
  let actor2 = pick(actors);
  while (actor2[0] === actor1[0]) actor2 = pick(actors);
  // About one event in fifteen has no second actor, as GDELT's own exports do.
  const oneSided = index % 15 === 7;
  const [code, root, quadClass, goldstein] = pick(codes);
  const [place, geoCountry, lat, long] = pick(places);
  const geo = ['4', place, geoCountry, `${geoCountry}00`, '', String(lat), String(long), String(-1000000 - index)];
  rows.push([
    String(780000000 + index), date, date.slice(0, 6), '2018', (2018 + (day - 1) / 365).toFixed(4),
    ...actorFields(actor1), ...(oneSided ? Array(10).fill('') : actorFields(actor2)),
    '1', code, code.slice(0, 3), root, String(quadClass), String(goldstein),
    String(1 + Math.floor(random() * 20)), String(1 + Math.floor(random() * 5)), String(1 + Math.floor(random() * 20)), (random() * 10 - 5).toFixed(6),
    ...geo, ...(oneSided ? ['0', '', '', '', '', '', '', ''] : geo), ...geo,
    `${date}${String(Math.floor(random() * 24)).padStart(2, '0')}${pick(['00', '15', '30', '45'])}00`, `https://news.example.org/2018/06/${day}/story-${index}`,
  ].join('\t'));
}
writeFileSync(new URL('events.sample.export.CSV', import.meta.url), `${rows.join('\n')}\n`);
