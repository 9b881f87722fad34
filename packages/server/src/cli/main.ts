import { Command } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerDrivers } from './commands/drivers.ts';
import { registerFeedback } from './commands/feedback.ts';
import { registerImport } from './commands/import.ts';
import { registerJourneys } from './commands/journeys.ts';
import { registerKeys } from './commands/keys.ts';
import { registerLoads } from './commands/loads.ts';
import { registerPredict } from './commands/predict.ts';
import { registerServe } from './commands/serve.ts';
import { registerStatus } from './commands/status.ts';
import { registerSurveys } from './commands/surveys.ts';
import { registerText } from './commands/text.ts';
import { registerTextModels } from './commands/text-models.ts';
import { registerValue } from './commands/value.ts';
import { reportFailure } from './context.ts';

const program = new Command()
  .name('cxc')
  .description('CX Cockpit: customer journeys, feedback, drivers and value — from the command line')
  .showHelpAfterError();

for (const register of [
  registerStatus,
  registerServe,
  registerDemo,
  registerImport,
  registerLoads,
  registerKeys,
  registerFeedback,
  registerDrivers,
  registerJourneys,
  registerSurveys,
  registerPredict,
  registerText,
  registerTextModels,
  registerValue,
])
  register(program);

program.parseAsync(process.argv).catch(reportFailure);
