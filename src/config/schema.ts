/** JSON schema of `.kubeward.yaml` (documented in docs/configuration.md). */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    failOn: { enum: ['info', 'low', 'medium', 'high', 'critical', 'none'] },
    rules: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: ['on', 'off', true, false] },
          {
            type: 'object',
            additionalProperties: false,
            properties: { enabled: { type: 'boolean' }, severity: { enum: ['info', 'low', 'medium', 'high', 'critical'] } },
          },
        ],
      },
    },
    registryAllowlist: { type: 'array', items: { type: 'string', minLength: 1 } },
    sandbox: {
      type: 'object',
      additionalProperties: false,
      properties: {
        handlers: { type: 'array', items: { type: 'string', minLength: 1 } },
        namespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    systemNamespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
    exceptions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'justification'],
        properties: {
          rule: { type: 'string', minLength: 1 },
          resource: {
            type: 'object',
            additionalProperties: false,
            properties: { kind: { type: 'string' }, namespace: { type: 'string' }, name: { type: 'string' } },
          },
          justification: { type: 'string', minLength: 10 },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
  },
} as const;
