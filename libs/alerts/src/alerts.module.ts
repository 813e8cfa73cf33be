import { Global, Module } from '@nestjs/common';
import { AlertsService } from './alerts.service';

/** Global: every domain that raises alerts (manuscripts, publishing, plugins) injects the service. */
@Global()
@Module({ providers: [AlertsService], exports: [AlertsService] })
export class AlertsModule {}
