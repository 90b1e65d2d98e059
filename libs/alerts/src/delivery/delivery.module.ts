import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts.module.js';
import { DeliveryService } from './delivery.service.js';
import { EmailSender } from './email.sender.js';
import { MessageSource } from './message-source.js';
import { Reconciler } from './reconciler.js';
import { WebhookSender } from './webhook.sender.js';

/**
 * Delivery of reminders, notices and confirmations (email and webhooks) and the reconciler:
 * what the worker runs. Needs the global `Keyring` (EncryptionModule) for webhook secrets and
 * signed links.
 */
@Module({
  imports: [AlertsModule],
  providers: [DeliveryService, MessageSource, EmailSender, WebhookSender, Reconciler],
  exports: [DeliveryService, Reconciler],
})
export class DeliveryModule {}
