/**
 * Environment for every tool the pipeline starts: the warehouse location, and usage statistics off so that
 * nothing reaches the internet at run time.
 */
export function pipelineEnv(database: string): NodeJS.ProcessEnv {
  return {
    RCM_WAREHOUSE: database,
    DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
    DO_NOT_TRACK: '1',
  };
}
