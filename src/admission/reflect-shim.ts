/**
 * @peculiar/x509 registers its algorithms through tsyringe, which refuses to load unless
 * `Reflect.getMetadata` exists (normally provided by the `reflect-metadata` package). This
 * installs the three functions tsyringe calls — only when absent — backed by a WeakMap.
 * Parameter-type metadata is never emitted by our build, so lookups find nothing, which is
 * what tsyringe expects for classes registered by hand.
 */
type MetadataMap = Map<unknown, unknown>;
const store = new WeakMap<object, Map<string | symbol | undefined, MetadataMap>>();

function table(target: object, property: string | symbol | undefined, create: boolean): MetadataMap | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let t = byProp.get(property);
  if (!t && create) {
    t = new Map();
    byProp.set(property, t);
  }
  return t;
}

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: string | symbol) => void;
}

const R = Reflect as unknown as ReflectWithMetadata;
if (typeof R.getMetadata !== 'function') {
  R.getOwnMetadata = (key, target, property) => table(target, property, false)?.get(key);
  R.getMetadata = (key, target, property) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = table(t, property, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R.defineMetadata = (key, value, target, property) => {
    table(target, property, true)?.set(key, value);
  };
}

export {};
