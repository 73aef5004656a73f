import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PolicyService } from './policy.service';

/**
 * Applies the seeded policies (Zhangzhou 350600) when the service starts: only versions that are
 * missing, never over a fund manager's edits, serialised across replicas by the policy lock.
 */
@Injectable()
export class PolicySeeder implements OnApplicationBootstrap {
  constructor(private readonly policies: PolicyService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.policies.seed();
  }
}
