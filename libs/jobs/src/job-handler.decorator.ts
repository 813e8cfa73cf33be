import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-catalogue';

export const JOB_HANDLER = 'tongfa:job-handler';

/** Marks a provider method as the handler of a catalogue job (`handleX` by convention). */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
